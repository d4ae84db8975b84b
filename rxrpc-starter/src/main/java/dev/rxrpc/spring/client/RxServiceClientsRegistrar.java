package dev.rxrpc.spring.client;

import dev.rxrpc.spring.annotation.ImportRxServices;
import dev.rxrpc.spring.annotation.RxService;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a bean per interface listed by {@link ImportRxServices}: a proxy made by the {@link RxServiceProxyFactory}
 * bean. Each is named {@code <group>#<interface>}, and is primary for its interface: an application that both serves
 * and calls a contract gets the remote client when it injects the interface (inject the implementation class for
 * the local bean).
 */
public class RxServiceClientsRegistrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware {

    /** Bean definition attribute marking a client proxy; its value is the group. */
    public static final String CLIENT_ATTRIBUTE = "rxrpc.client.group";

    private BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        for (AnnotationAttributes a : metadata.getMergedRepeatableAnnotationAttributes(
                ImportRxServices.class, ImportRxServices.Container.class, false)) {
            register(a, registry);
        }
    }

    private void register(Map<String, Object> attributes, BeanDefinitionRegistry registry) {
        String group = (String) attributes.get("group");
        for (Class<?> type : (Class<?>[]) attributes.get("types")) {
            if (!type.isInterface() || !AnnotatedElementUtils.hasAnnotation(type, RxService.class)) {
                throw new IllegalStateException("@ImportRxServices(group = \"" + group + "\") lists " + type.getName()
                        + ", which is not an interface annotated @RxService");
            }
            String name = group + "#" + type.getName();
            if (registry.containsBeanDefinition(name)) {
                continue;
            }
            RootBeanDefinition bd = new RootBeanDefinition(type);
            bd.setInstanceSupplier(() -> create(type, group));
            bd.setPrimary(true);
            bd.setAttribute(CLIENT_ATTRIBUTE, group);
            registry.registerBeanDefinition(name, bd);
        }
    }

    private Object create(Class<?> type, String group) {
        return beanFactory.getBean(RxServiceProxyFactory.class).createClient(type, group);
    }
}
